export { dataverseConsole } from '../dataverse/console.js';
