/**
 * Gives a built graph the float16 interface of fp16 / q4f16 exports: the KV cache inputs
 * (past_key_values.*) and every float output (logits, present.*) become float16, with a Cast at
 * each edge, while the inside keeps computing in float32. What this checks is the consumer's side:
 * onnxruntime returns such logits and caches as float16 (raw bits in a Uint16Array), and a cache
 * must be fed back as float16.
 */
import onnxProto from 'onnx-proto';
import type { GraphBuilder } from './onnx-graph.ts';

const { FLOAT, FLOAT16 } = onnxProto.onnx.TensorProto.DataType;

function elemType(info: onnxProto.onnx.IValueInfoProto): number | null | undefined {
  return info.type?.tensorType?.elemType;
}

function setFloat16(info: onnxProto.onnx.IValueInfoProto): void {
  info.type!.tensorType!.elemType = FLOAT16;
}

export function useFloat16Interface(g: GraphBuilder): void {
  const rename = (from: string, to: string) => {
    for (const node of g.nodes) node.input = (node.input ?? []).map((name) => (name === from ? to : name));
  };
  const casts: onnxProto.onnx.INodeProto[] = [];
  for (const input of g.inputs) {
    if (!input.name!.startsWith('past_key_values.') || elemType(input) !== FLOAT) continue;
    const inner = `${input.name}_float32`;
    rename(input.name!, inner);
    casts.push({ name: `${input.name}_cast`, opType: 'Cast', domain: '', input: [input.name!], output: [inner], attribute: [{ name: 'to', type: 2, i: FLOAT }] });
    setFloat16(input);
  }
  g.nodes.unshift(...casts);
  for (const output of g.outputs) {
    if (elemType(output) !== FLOAT) continue;
    const inner = `${output.name}_float32`;
    for (const node of g.nodes) node.output = (node.output ?? []).map((name) => (name === output.name ? inner : name));
    rename(output.name!, inner);
    g.nodes.push({ name: `${output.name}_cast`, opType: 'Cast', domain: '', input: [inner], output: [output.name!], attribute: [{ name: 'to', type: 2, i: FLOAT16 }] });
    setFloat16(output);
  }
}
