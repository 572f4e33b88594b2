export { registerAgentConsole, type AgentConsoleOptions } from './routes.ts';
export { ConsoleDesk, type ConsoleEvent } from './console-events.ts';
export { AgentSessions, SESSION_COOKIE } from './sessions.ts';
export { SignInThrottle, SIGN_IN_LIMITS, type SignInLimits } from './sign-in-throttle.ts';
