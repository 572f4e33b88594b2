/**
 * The demo shop's order API, served by Parley itself in demo mode (DEMO_MODE) so that the order status flow
 * has a real HTTP endpoint to call: `GET /demo/orders/:number` answers a few Brightwave orders, 404 otherwise.
 * Dates are relative to today, so the demo always reads plausibly.
 */
import type { FastifyInstance } from 'fastify';
import type { CallEndpoint } from '../integrations/call-endpoints.ts';

export type DemoOrderStatus = 'processing' | 'shipped' | 'delivered';

export interface DemoOrder {
  number: string;
  status: DemoOrderStatus;
  placed_on: string;
  items: string[];
  carrier?: string;
  tracking_number?: string;
  tracking_url?: string;
  /** Expected delivery day (shipped and processing orders). */
  eta?: string;
  delivered_on?: string;
}

const day = (today: Date, offset: number) => new Date(today.getTime() + offset * 86_400_000).toISOString().slice(0, 10);

/** The demo's orders, as of `today`. */
export function demoOrders(today: Date): Record<string, DemoOrder> {
  const orders: DemoOrder[] = [
    {
      number: 'BW-12345', status: 'shipped', placed_on: day(today, -2), items: ['Wave 700 ANC headphones'],
      carrier: 'UPS', tracking_number: '1Z999AA10123456784',
      tracking_url: 'https://www.ups.com/track?tracknum=1Z999AA10123456784', eta: day(today, 2),
    },
    { number: 'BW-23456', status: 'processing', placed_on: day(today, 0), items: ['Aero 14 laptop', 'Pulse Mini speaker'], eta: day(today, 4) },
    { number: 'BW-34567', status: 'delivered', placed_on: day(today, -9), items: ['Halo Hub'], carrier: 'DHL', tracking_number: 'JD014600006281234567', delivered_on: day(today, -5) },
  ];
  return Object.fromEntries(orders.map((order) => [order.number, order]));
}

/** The endpoint `order_lookup` uses in demo mode, on this Parley's own address. */
export function demoOrderEndpoint(baseUrl: string): CallEndpoint {
  return { url: `${baseUrl}/demo/orders/{order}`, method: 'GET', headers: {} };
}

export async function registerDemoOrderRoutes(app: FastifyInstance, options: { now?: () => Date } = {}): Promise<void> {
  const now = options.now ?? (() => new Date());
  app.get<{ Params: { number: string } }>('/demo/orders/:number', async (request, reply) => {
    const order = demoOrders(now())[request.params.number.trim().toUpperCase()];
    if (!order) return reply.status(404).send({ error: { code: 'NOT_FOUND', message: 'no order with that number' } });
    return order;
  });
}
