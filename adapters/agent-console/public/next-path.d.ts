/** Types of next-path.js, the sign-in page's browser module (imported by the tests). */
export declare const FALLBACK: string;
export declare function sameOriginPath(next: string | null | undefined, origin: string): string;
