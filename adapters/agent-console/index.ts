export { agentWorkspacePart } from './part.ts';
export { registerAgentConsole, type AgentConsoleOptions } from './routes.ts';
export { ConsoleDesk, type ConsoleEvent } from './console-events.ts';
