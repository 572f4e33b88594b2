export { createBotFrameworkChannel, type BotFrameworkChannel, type BotFrameworkChannelOptions } from './channel.ts';
export { BotFrameworkDesk, transcriptOf } from './handoff.ts';
export { registerBotFrameworkRoutes } from './routes.ts';
export { botFrameworkCapabilities, createBotFrameworkSender, sendError, toActivity, type ReferenceStore } from './send.ts';
export { serviceUrlAllowed, isLoopbackHost, type ServiceUrlPolicy } from './verify.ts';
export { BOTFRAMEWORK_CHANNEL, MAX_TEXT_LENGTH, activityIdOf, addressOf, greetingOf, handoffStatusOf, referenceOf, toInbound } from './normalize.ts';
export { botFrameworkPart } from './part.ts';
