export { LiveHub } from './live-hub.ts';
export { registerWebRoutes, type WebRoutesOptions } from './routes.ts';
export { createWebSender, webCapabilities } from './send.ts';
export { WEB_CHANNEL, MAX_TEXT_LENGTH, toInbound, toWire, webAddress } from './normalize.ts';
export { webPart, type WebOverrides } from './part.ts';
