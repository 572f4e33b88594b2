/**
 * The flow map beside the text: the outline of the open flow (flow-outline.ts) laid out top to bottom by dagre and
 * drawn by React Flow. Each node is a button: clicking it, or Enter on it, puts the editor on that step's line.
 * Steps the start cannot reach are greyed and marked, loops are dashed, handoffs and other flows stand out.
 */
import { Graph, layout } from '@dagrejs/dagre';
import { Background, Controls, Handle, MarkerType, Position, ReactFlow, type Edge, type Node, type NodeProps } from '@xyflow/react';
import { memo, useMemo } from 'react';
import type { FlowOutline, OutlineNode } from './flow-outline.ts';

const WIDTH = 184;
const HEIGHT = 56;

type StepData = OutlineNode & { onOpen: (line: number) => void } & Record<string, unknown>;
type StepNode = Node<StepData, 'step'>;

const KIND_NAMES: Record<OutlineNode['kind'], string> = {
  triggers: 'Start', say: 'Say', ask: 'Ask', if: 'If', set: 'Set', goto: 'Go to', handoff: 'Handoff', end: 'End', call: 'Call', answer: 'Answer', flow: 'Flow',
};

const StepCard = memo(function StepCard({ data }: NodeProps<StepNode>) {
  const where = data.line > 0 ? `, line ${data.line}` : '';
  const label = `${KIND_NAMES[data.kind]}: ${data.title}${data.unreachable ? ' (never reached)' : ''}${where}. ${data.detail}`;
  return (
    <>
      <Handle type="target" position={Position.Top} isConnectable={false} />
      <button
        type="button"
        className={`map-node kind-${data.kind}${data.unreachable ? ' unreachable' : ''}`}
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
      </button>
      <Handle type="source" position={Position.Bottom} isConnectable={false} />
    </>
  );
});

const nodeTypes = { step: StepCard };

function laidOut(outline: FlowOutline, onOpen: (line: number) => void): { nodes: StepNode[]; edges: Edge[] } {
  const graph = new Graph();
  graph.setGraph({ rankdir: 'TB', nodesep: 18, ranksep: 40, marginx: 8, marginy: 8 });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const node of outline.nodes) graph.setNode(node.id, { width: WIDTH, height: HEIGHT });
  // Loops are drawn but do not rank: a goto back up must not push the step it returns to below itself.
  for (const edge of outline.edges) if (!edge.loop) graph.setEdge(edge.from, edge.to);
  layout(graph);
  const nodes = outline.nodes.map((node): StepNode => {
    const { x, y } = graph.node(node.id);
    return { id: node.id, type: 'step', position: { x: x - WIDTH / 2, y: y - HEIGHT / 2 }, data: { ...node, onOpen }, draggable: false, connectable: false, selectable: false, focusable: false };
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

export function FlowMap({ outline, stale, onOpen }: { outline: FlowOutline | undefined; stale: boolean; onOpen: (line: number) => void }) {
  const graph = useMemo(() => (outline ? laidOut(outline, onOpen) : undefined), [outline, onOpen]);
  if (!graph) return <p className="empty-note">The map appears once this flow loads without errors.</p>;
  return (
    <div className="flow-map" role="region" aria-label={`Map of the flow ${outline!.flow}`}>
      {stale ? <p className="map-stale" role="status">Showing the last version that loaded: fix the errors to update the map.</p> : null}
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
