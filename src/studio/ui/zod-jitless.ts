/**
 * The flow map runs the flow checker (zod schemas) in the page. Zod probes for eval (`new Function`) the first time a
 * schema is built, which the studio's CSP refuses and reports; jitless mode never tries. Imported before anything
 * that builds a schema.
 */
import { config } from 'zod';

config({ jitless: true });
