export { createSlackChannel, type SlackChannel, type SlackChannelOptions } from './channel.ts';
export { SLACK_CHANNEL, MAX_TEXT_LENGTH, conversationOf, parseConversation, plainText, pressToInbound, toInbound } from './normalize.ts';
export { createSlackSender, sendError, slackCapabilities, toSlackMessage } from './send.ts';
export { routeOf } from './routing.ts';
export { slackDeskCopies } from './desk-copies.ts';
export { slackPart } from './part.ts';
