// Types of bin/build-info.js, for the tests that check it.
export declare const ROOT: string;
export declare function compiledMain(root?: string): string;
export declare function buildStamp(root?: string): string;
export declare function staleReason(root?: string): string | undefined;
