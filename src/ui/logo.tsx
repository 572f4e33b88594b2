/** Parley's mark (a speech bubble on the accent colour), the same as the pages' icon (/agent/favicon.svg). */
export const Logo = () => (
  <svg className="logo" viewBox="0 0 32 32" aria-hidden="true"><rect width="32" height="32" rx="8" fill="#4f46e5" /><path d="M9 10h14a2 2 0 0 1 2 2v7a2 2 0 0 1-2 2h-8l-5 4v-4H9a2 2 0 0 1-2-2v-7a2 2 0 0 1 2-2z" fill="#fff" /></svg>
);
