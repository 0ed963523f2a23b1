export * from './coded-enum.js';
export * from './enums.js';
export * from './sales-stage.js';
export * from './referral.js';
export * from './deal-type.js';
export * from './iso-codes.js';
export * from './diff.js';
export * from './consent.js';
