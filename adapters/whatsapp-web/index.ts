export { createWhatsAppWebChannel, type WhatsAppWebChannel, type WhatsAppWebChannelOptions, type WhatsAppWebOverrides } from './channel.ts';
export { registerWhatsAppWebAdmin, type WhatsAppWebAdminOptions } from './admin-routes.ts';
export { clientOptions, createWwebjsClient, type ClientFactory, type ClientSettings, type WhatsAppWebClient, type WhatsAppWebMessage } from './client.ts';
export { WHATSAPP_WEB_ENV, whatsappWebConfig, type WhatsAppWebConfig } from './config.ts';
export { WhatsAppWebConnector, type ConnectorOptions, type ConnectorState, type ConnectorStatus } from './connector.ts';
export { ackStatus, chatOf, normalizeMessage, WHATSAPP_WEB_CHANNEL, whatsappWebAddress } from './normalize.ts';
export { createWhatsAppWebSender, whatsappWebCapabilities } from './send.ts';
export { ADMIN_PAGE } from './terminal-qr.ts';
export { whatsappWebPart } from './part.ts';
