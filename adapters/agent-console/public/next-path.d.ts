/** Types of next-path.js, bundled into the sign-in page (src/sign-in/ui/) and imported by the tests. */
export declare const FALLBACK: string;
export declare function sameOriginPath(next: string | null | undefined, origin: string): string;
