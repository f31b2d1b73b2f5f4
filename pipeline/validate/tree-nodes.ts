/**
 * The nodes of an article's tree by type, in document order, each with its parent and its index
 * there. Every rule reads the same tree, most of them a node type or two (headings, paragraphs,
 * text, links): the tree is walked once, when a rule first asks, and each list a rule asks for is
 * made once and shared by the rules that ask for it again.
 */
import type { Nodes, Parents, Root } from 'mdast';

type NodeType = Nodes['type'];
type NodeOf<Type extends NodeType> = Extract<Nodes, { type: Type }>;

/** A node with where it is: its parent (undefined for the root) and its index among the parent's children. */
export interface Placed<Node extends Nodes = Nodes> {
  node: Node;
  parent: Parents | undefined;
  index: number;
  /** Its place in document order among all the nodes of the tree (a parent before its children). */
  order: number;
}

interface Index {
  byType: Map<string, Placed[]>;
  /** The node lists asked for so far, by their types joined with commas. */
  lists: Map<string, Nodes[]>;
}

const indexes = new WeakMap<Root, Index>();

function indexOf(tree: Root): Index {
  let index = indexes.get(tree);
  if (index) return index;
  const byType = new Map<string, Placed[]>();
  let order = 0;
  const walk = (node: Nodes, parent: Parents | undefined, position: number) => {
    const placed: Placed = { node, parent, index: position, order: order++ };
    const ofType = byType.get(node.type);
    if (ofType) ofType.push(placed);
    else byType.set(node.type, [placed]);
    if ('children' in node) {
      const children = node.children as Nodes[];
      for (let childIndex = 0; childIndex < children.length; childIndex++) walk(children[childIndex]!, node, childIndex);
    }
  };
  walk(tree, undefined, 0);
  indexes.set(tree, (index = { byType, lists: new Map() }));
  return index;
}

/** The nodes of one type, in document order, with their parents. */
export function placedOfType<Type extends NodeType>(tree: Root, type: Type): ReadonlyArray<Placed<NodeOf<Type>>> {
  return (indexOf(tree).byType.get(type) ?? []) as Array<Placed<NodeOf<Type>>>;
}

/** The nodes of one or more types, in document order. */
export function nodesOfType<Type extends NodeType>(tree: Root, ...types: Type[]): ReadonlyArray<NodeOf<Type>> {
  const index = indexOf(tree);
  const key = types.join(',');
  let list = index.lists.get(key);
  if (!list) {
    const placed = types.flatMap((type) => index.byType.get(type) ?? []);
    if (types.length > 1) placed.sort((a, b) => a.order - b.order);
    index.lists.set(key, (list = placed.map((entry) => entry.node)));
  }
  return list as Array<NodeOf<Type>>;
}
