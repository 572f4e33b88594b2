export { DEFAULT_GRAPH_URL, WHATSAPP_ENV, whatsappConfig, type WhatsAppConfig, type WhatsAppTemplate } from './config.ts';
export { normalizeWebhook, parseAddress, WHATSAPP_CHANNEL, whatsappAddress, type StatusUpdate } from './normalize.ts';
export { registerWhatsAppRoutes, WEBHOOK_PATH, type WhatsAppRoutesOptions } from './routes.ts';
export { createWhatsAppSender, OUTSIDE_WINDOW, SERVICE_WINDOW_MS, toGraphMessage, truncate, whatsappCapabilities } from './send.ts';
export { signBody, verifySignature } from './verify.ts';
export { whatsappCloudPart } from './part.ts';
