/**
 * The flow map beside the text: the outline of the open flow (flow-outline.ts) laid out top to bottom by dagre and
 * drawn by React Flow. Each node is a button: clicking it, or Enter on it, puts the editor on that step's line.
 * Steps the start cannot reach are greyed and marked, loops are dashed, handoffs and other flows stand out. With the
 * flow's analytics (the last 30 days), the start shows how many conversations ran it and were handed over, every step
 * how many reached it, and each question and handoff step also how many stopped there and were handed to a person.
 */
import { Graph, layout } from '@dagrejs/dagre';
import { Background, Controls, Handle, MarkerType, Position, ReactFlow, type Edge, type Node, type NodeProps } from '@xyflow/react';
import { memo, useMemo } from 'react';
import type { StepStats } from './api.ts';
import type { FlowOutline, OutlineNode } from './flow-outline.ts';

const WIDTH = 208;
const HEIGHT = 56;
/** A node with a line of counts under it. */
const COUNTED_HEIGHT = 76;

interface Counts { reached: number; droppedOff?: number; handedOver: number }
type StepData = OutlineNode & { onOpen: (line: number) => void; counts?: Counts } & Record<string, unknown>;
type StepNode = Node<StepData, 'step'>;

const KIND_NAMES: Record<OutlineNode['kind'], string> = {
  triggers: 'Start', say: 'Say', ask: 'Ask', if: 'If', set: 'Set', goto: 'Go to', handoff: 'Handoff', end: 'End', call: 'Call', answer: 'Answer', flow: 'Flow',
};

const StepCard = memo(function StepCard({ data }: NodeProps<StepNode>) {
  const where = data.line > 0 ? `, line ${data.line}` : '';
  const counts = data.counts ? countsText(data.kind, data.counts) : undefined;
  const label = `${KIND_NAMES[data.kind]}: ${data.title}${data.unreachable ? ' (never reached)' : ''}${where}. ${data.detail}${counts ? `. ${counts.said.join(', ')}` : ''}`;
  return (
    <>
      <Handle type="target" position={Position.Top} isConnectable={false} />
      <button
        type="button"
        className={`map-node kind-${data.kind}${data.unreachable ? ' unreachable' : ''}${counts ? ' counted' : ''}`}
        aria-label={label}
        title={data.detail}
        disabled={data.line === 0}
      >
        <span className="map-node-head">
          <span className="map-kind">{KIND_NAMES[data.kind]}</span>
          <span className="map-title">{data.title}</span>
          {data.unreachable ? <span className="map-flag">never reached</span> : null}
        </span>
        <span className="map-detail">{data.detail}</span>
        {counts ? <span className="map-counts" aria-hidden="true">{counts.shown.map((text) => {
          const [n, ...words] = text.split(' ');
          return <span key={text}><b>{n}</b> {words.join(' ')}</span>;
        })}</span> : null}
      </button>
      <Handle type="source" position={Position.Bottom} isConnectable={false} />
    </>
  );
});

const nodeTypes = { step: StepCard };

/** Steps where a conversation can stop or go to a person: their counts say so; other steps only how many reached them. */
const STOPPING_KINDS: ReadonlySet<OutlineNode['kind']> = new Set(['ask', 'handoff']);

/**
 * What the node shows (`12 reached · 3 dropped · 1 handoff`) and says to a screen reader; the start: the flow's;
 * a step that neither waits nor hands over: `12 reached`.
 */
function countsText(kind: OutlineNode['kind'], counts: Counts): { shown: string[]; said: string[] } {
  const shown = [kind === 'triggers' ? `${counts.reached} ran it` : `${counts.reached} reached`];
  const said = [kind === 'triggers' ? `${counts.reached} conversations ran it` : `${counts.reached} reached it`];
  if (kind !== 'triggers' && !STOPPING_KINDS.has(kind)) return { shown, said };
  if (counts.droppedOff !== undefined) {
    shown.push(`${counts.droppedOff} dropped`);
    said.push(`${counts.droppedOff} dropped off here`);
  }
  shown.push(`${counts.handedOver} handoff${counts.handedOver === 1 ? '' : 's'}`);
  said.push(`${counts.handedOver} handed to a person`);
  return { shown, said };
}

/** Each node's counts, by its id: the start gets the flow's, a step its own (those no conversation reached have none). */
function countsByNode(stats: StepStats | undefined): Map<string, Counts> {
  const byNode = new Map<string, Counts>();
  if (!stats) return byNode;
  byNode.set('triggers', { reached: stats.conversations, handedOver: stats.handedOver });
  for (const step of stats.steps) byNode.set(step.step, step);
  return byNode;
}

function laidOut(outline: FlowOutline, onOpen: (line: number) => void, stats: StepStats | undefined): { nodes: StepNode[]; edges: Edge[] } {
  const counts = countsByNode(stats);
  const heightOf = (id: string) => (counts.has(id) ? COUNTED_HEIGHT : HEIGHT);
  const graph = new Graph();
  graph.setGraph({ rankdir: 'TB', nodesep: 18, ranksep: 40, marginx: 8, marginy: 8 });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const node of outline.nodes) graph.setNode(node.id, { width: WIDTH, height: heightOf(node.id) });
  // Loops are drawn but do not rank: a goto back up must not push the step it returns to below itself.
  for (const edge of outline.edges) if (!edge.loop) graph.setEdge(edge.from, edge.to);
  layout(graph);
  const nodes = outline.nodes.map((node): StepNode => {
    const { x, y } = graph.node(node.id);
    const own = counts.get(node.id);
    return { id: node.id, type: 'step', position: { x: x - WIDTH / 2, y: y - heightOf(node.id) / 2 }, data: { ...node, onOpen, ...(own ? { counts: own } : {}) }, draggable: false, connectable: false, selectable: false, focusable: false };
  });
  const edges = outline.edges.map((edge): Edge => ({
    id: edge.id,
    source: edge.from,
    target: edge.to,
    label: edge.label || undefined,
    type: edge.loop ? 'default' : 'smoothstep',
    animated: false,
    className: edge.loop ? 'loop' : undefined,
    markerEnd: { type: MarkerType.ArrowClosed, width: 16, height: 16 },
    focusable: false,
  }));
  return { nodes, edges };
}

export function FlowMap({ outline, stale, stats, onOpen }: { outline: FlowOutline | undefined; stale: boolean; stats: StepStats | undefined; onOpen: (line: number) => void }) {
  const shown = stats?.flow === outline?.flow ? stats : undefined;
  const graph = useMemo(() => (outline ? laidOut(outline, onOpen, shown) : undefined), [outline, onOpen, shown]);
  if (!graph) return <p className="empty-note">The map appears once this flow loads without errors.</p>;
  return (
    <div className="flow-map" role="region" aria-label={`Map of the flow ${outline!.flow}`}>
      {stale ? <p className="map-stale" role="status">Showing the last version that loaded: fix the errors to update the map.</p> : null}
      {shown && !stale ? <p className="map-legend">Last 30 days: conversations that reached each step; at a question or handoff, dropped off there, were handed to a person</p> : null}
      <ReactFlow
        key={outline!.flow}
        nodes={graph.nodes}
        edges={graph.edges}
        nodeTypes={nodeTypes}
        fitView
        fitViewOptions={{ padding: 0.08, maxZoom: 1 }}
        minZoom={0.2}
        onNodeClick={(_event, node) => node.data.line > 0 && onOpen(node.data.line)}
        nodesDraggable={false}
        nodesConnectable={false}
        elementsSelectable={false}
      >
        <Background gap={20} size={1} />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}
