/**
 * The nodes of an article's tree by type, in document order, each with its parent and its index
 * there. Every rule reads the same tree, most of them a node type or two (headings, paragraphs,
 * text, links): the tree is walked once, when a rule first asks, and each rule then reads the
 * list of the nodes it checks.
 */
import type { Nodes, Parents, Root } from 'mdast';

type NodeType = Nodes['type'];
type NodeOf<Type extends NodeType> = Extract<Nodes, { type: Type }>;

/** A node with where it is: its parent (undefined for the root) and its index among the parent's children. */
export interface Placed<Node extends Nodes = Nodes> {
  node: Node;
  parent: Parents | undefined;
  index: number;
}

interface Index {
  /** Every node in document order (a parent before its children). */
  all: Placed[];
  byType: Map<string, Placed[]>;
}

const indexes = new WeakMap<Root, Index>();

function indexOf(tree: Root): Index {
  let index = indexes.get(tree);
  if (index) return index;
  const all: Placed[] = [];
  const byType = new Map<string, Placed[]>();
  const walk = (node: Nodes, parent: Parents | undefined, position: number) => {
    const placed: Placed = { node, parent, index: position };
    all.push(placed);
    const ofType = byType.get(node.type);
    if (ofType) ofType.push(placed);
    else byType.set(node.type, [placed]);
    if ('children' in node) node.children.forEach((child, childIndex) => walk(child as Nodes, node, childIndex));
  };
  walk(tree, undefined, 0);
  indexes.set(tree, (index = { all, byType }));
  return index;
}

/** The nodes of one type, in document order, with their parents. */
export function placedOfType<Type extends NodeType>(tree: Root, type: Type): ReadonlyArray<Placed<NodeOf<Type>>> {
  return (indexOf(tree).byType.get(type) ?? []) as Array<Placed<NodeOf<Type>>>;
}

/** The nodes of one or more types, in document order. */
export function nodesOfType<Type extends NodeType>(tree: Root, ...types: Type[]): Array<NodeOf<Type>> {
  if (types.length === 1) return placedOfType(tree, types[0]!).map((placed) => placed.node);
  const wanted = new Set<string>(types);
  return indexOf(tree)
    .all.filter((placed) => wanted.has(placed.node.type))
    .map((placed) => placed.node as NodeOf<Type>);
}
