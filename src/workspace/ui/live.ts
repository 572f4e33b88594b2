/**
 * The workspace's live connection (/agent/api/socket): handoffs changing, new lines, and — where the server sends them
 * — typing, viewers, notes and assignments. It reconnects after a second when it drops, and then asks the page to
 * reload what it may have missed. What the page sends (typing, which conversation it views) is dropped while offline.
 */
export type LiveEvent = { type: string; handoffId?: string; [key: string]: unknown };

export interface LiveHandlers {
  onEvent(event: LiveEvent): void;
  onState(state: 'connecting' | 'live' | 'offline'): void;
  /** After a reconnect: reload the list and the open conversation. */
  onReconnect(): void;
}

export class Live {
  private socket: WebSocket | undefined;
  private stopped = false;
  private connectedOnce = false;
  private viewing: string | null = null;

  constructor(private readonly handlers: LiveHandlers) {}

  start(): void {
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.socket?.close();
    this.socket = undefined;
  }

  /** Tells the server (and so the other agents) which conversation this page shows. */
  view(handoffId: string | null): void {
    this.viewing = handoffId;
    this.send({ type: 'viewing', handoffId });
  }

  typing(handoffId: string): void {
    this.send({ type: 'typing', handoffId });
  }

  private send(message: object): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
  }

  private connect(): void {
    this.handlers.onState('connecting');
    const socket = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/agent/api/socket`);
    this.socket = socket;
    socket.addEventListener('message', (message) => {
      let event: LiveEvent;
      try {
        event = JSON.parse(String(message.data)) as LiveEvent;
      } catch {
        return;
      }
      if (event.type === 'ready') {
        this.handlers.onState('live');
        if (this.viewing) this.send({ type: 'viewing', handoffId: this.viewing });
        if (this.connectedOnce) this.handlers.onReconnect();
        this.connectedOnce = true;
      }
      this.handlers.onEvent(event);
    });
    socket.addEventListener('close', () => {
      if (this.stopped || this.socket !== socket) return;
      this.handlers.onState('offline');
      setTimeout(() => this.connect(), 1000);
    });
  }
}
