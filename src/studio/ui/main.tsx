/** Parley Studio's page: mounted on #root of the HTML that src/server/studio-page.ts serves. */
import './zod-jitless.ts';
import '@xyflow/react/dist/style.css';
import './studio.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

import { App } from './app.tsx';

createRoot(document.getElementById('root')!).render(<StrictMode><App /></StrictMode>);
