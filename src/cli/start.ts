import { createApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { DEMO_AGENT_CREDENTIALS } from '../demo/demo-agent.ts';
import { flowsDirectory, knowledgeDirectory } from './directories.ts';

/** `parley start`: runs the server until SIGINT / SIGTERM, then stops gracefully. */
export async function startCommand(): Promise<number> {
  const config = loadConfig();
  await flowsDirectory(config, undefined);
  await knowledgeDirectory(config, undefined);
  const app = await createApp(config);
  const url = await app.listen();
  app.logger.info({ url }, 'Parley is listening');
  const preparing = Date.now();
  app.prepareUnderstanding().then(
    () => app.logger.info({ ms: Date.now() - preparing }, 'understanding prepared'),
    (error: unknown) => app.logger.warn({ err: error }, 'understanding could not be prepared ahead; messages are understood as they come'),
  );
  process.stdout.write(`Parley is running: open ${url} to chat with the demo shop.\n`);
  if (config.handoff.agents.some((agent) => agent.id === DEMO_AGENT_CREDENTIALS.id) && config.demoMode) {
    const { id, password } = DEMO_AGENT_CREDENTIALS;
    process.stdout.write(`Agent console: ${url}/agent (demo sign-in: ${id} / ${password}; demo mode ends as soon as AGENTS or a channel is configured).\n`);
    if (!isLoopback(config.host)) {
      process.stdout.write(`Warning: demo mode listens on ${config.host} (HOST): anyone who reaches it can sign in as ${id} / ${password}, an admin.\n`);
    }
  }
  // SIGHUP publishes the files in FLOWS_DIR and KNOWLEDGE_DIR as a release (not when the flows do not load; see the log).
  const reloadFlows = () => void app.releases.publishFromDisk();
  process.on('SIGHUP', reloadFlows);
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      app.logger.info({ signal }, 'shutting down');
      resolve();
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
  process.off('SIGHUP', reloadFlows);
  await app.close();
  return 0;
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
