// Types for wasm/sexpr.mjs (a plain build script), for the tests that call it.
export type Raw = { raw: string };
export type Node = (string | Node | Raw)[];
export declare function parse(text: string): Node;
export declare function print(node: Node | string | Raw): string;
export declare function children(node: Node): Node[];
export declare function findNodes(nodes: Node[], test: (node: Node) => boolean): { node: Node; parent: Node; index: number }[];
export declare function visit(nodes: Node[], fn: (node: Node, parent: Node[], index: number) => void): void;
