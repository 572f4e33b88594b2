/** Parley Studio's page: mounted on #root of the HTML that src/server/studio-page.ts serves. */
import { createRoot } from 'react-dom/client';

createRoot(document.getElementById('root')!).render(<main><h1>Parley Studio</h1></main>);
