import { PGlite } from '@electric-sql/pglite';
let t = Date.now(); const a = await PGlite.create(); console.log('first', Date.now() - t);
t = Date.now(); const b = await PGlite.create(); console.log('second', Date.now() - t);
t = Date.now(); await b.exec('DROP SCHEMA public CASCADE; CREATE SCHEMA public'); console.log('reset', Date.now() - t);
