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
  // Listening accepts messages before `listen` has finished starting the rest (recovery, the sweeper, the parts): a
  // stop asked for meanwhile waits for it and then closes gracefully. A second signal ends the process at once.
  const stopSignal = new Promise<string>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
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
  app.logger.info({ signal: await stopSignal }, 'shutting down');
  process.off('SIGHUP', reloadFlows);
  await app.close();
  return 0;
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
