/**
 * Last-position logits for decoder graphs that lack `num_logits_to_keep`.
 *
 * Likelihood scoring needs one position's logits, and generation's first step too, but a decoder
 * exported without `num_logits_to_keep` runs its LM head over every position and returns
 * `[batch, seq, vocab]` logits: for a 152k vocabulary the head is about a quarter of a 0.5B
 * model's arithmetic and the copy is hundreds of megabytes per batch. This gives such a graph
 * the input, with transformers.js's meaning (keep the last k positions; 0 keeps all), so the
 * engine and transformers.js's own generate() use it as they do on models exported with it.
 *
 * The edit, on the serialized ModelProto, without decoding its weights:
 *   1. find the LM head: the MatMul / MatMulNBits that makes `logits` (through Cast / Identity);
 *   2. rename its activation input X, in place, to a new name X' of the same byte length (so no
 *      length prefix changes anywhere in the file);
 *   3. append a second `graph` field holding `X' = Slice(X, -k, INT64_MAX, axis 1)` (k from the
 *      new scalar input) and the input's declaration. Protocol Buffers merge a repeated
 *      occurrence of a message field into the first (its repeated fields are appended), so
 *      onnxruntime reads one graph with the three extra nodes and the extra input.
 * The weights are untouched bytes; the result computes exactly the original logits on the kept
 * positions. `loadCausalLM` checks that on every patched model before using it.
 */
import onnxProto from 'onnx-proto';
import protobuf from 'protobufjs/minimal.js';

const { onnx } = onnxProto;

export const KEEP_INPUT = 'num_logits_to_keep';

export type LogitsToKeep =
  /** The graph has the input already. */
  | { kind: 'native' }
  /** The input was added here; `bytes` is the edited model. */
  | { kind: 'added'; bytes: Uint8Array; lmHead: string }
  /** The graph cannot be given the input safely; `reason` says why. */
  | { kind: 'unsupported'; reason: string };

interface Field {
  field: number;
  wire: number;
  /** Byte range of a length-delimited field's content (of the whole value otherwise). */
  start: number;
  end: number;
}

/** The top-level fields of the message in buf[start, end), without decoding their contents. */
function fields(buf: Uint8Array, start: number, end: number): Field[] {
  const reader = protobuf.Reader.create(buf);
  reader.pos = start;
  reader.len = end;
  const out: Field[] = [];
  while (reader.pos < end) {
    const tag = reader.uint32();
    const field = tag >>> 3;
    const wire = tag & 7;
    if (wire === 2) {
      const length = reader.uint32();
      const from = reader.pos;
      if (from + length > end) throw new RangeError(`field ${field} runs past the end of its message`);
      reader.pos = from + length;
      out.push({ field, wire, start: from, end: from + length });
    } else {
      const from = reader.pos;
      reader.skipType(wire);
      out.push({ field, wire, start: from, end: reader.pos });
    }
  }
  return out;
}

// Field numbers of onnx.proto.
const MODEL = { graph: 7, opsetImport: 8 } as const;
const GRAPH = { node: 1, initializer: 5, input: 11, output: 12, valueInfo: 13 } as const;
const NODE_INPUT = 1;
const TENSOR_NAME = 8;

interface ScannedNode {
  node: onnxProto.onnx.NodeProto;
  start: number;
  end: number;
}

function defaultOpset(buf: Uint8Array, modelFields: Field[]): number | null {
  let version: number | null = null;
  for (const f of modelFields) {
    if (f.field !== MODEL.opsetImport) continue;
    const opset = onnx.OperatorSetIdProto.decode(buf.subarray(f.start, f.end));
    if (!opset.domain || opset.domain === 'ai.onnx') version = toNumber(opset.version);
  }
  return version;
}

/** protobufjs gives int64 fields as numbers, or as Long objects where the `long` package is found. */
function toNumber(value: number | { toNumber(): number } | null | undefined): number {
  return typeof value === 'object' && value !== null ? value.toNumber() : Number(value);
}

/** An ASCII name of exactly `byteLength` bytes that no tensor of the graph has. */
function freshName(base: string, byteLength: number, taken: Set<string>): string | null {
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_';
  const ascii = base.replace(/[^\x20-\x7e]/g, '_');
  const stem = ascii.length >= byteLength ? ascii.slice(0, byteLength) : ascii.padEnd(byteLength, '_');
  const tag = '_keep';
  for (let i = 0; i < alphabet.length ** 2; i++) {
    const suffix = `${tag}${alphabet[i % alphabet.length]}${alphabet[Math.floor(i / alphabet.length)]}`;
    const candidate = byteLength > suffix.length ? stem.slice(0, byteLength - suffix.length) + suffix : suffix.slice(-byteLength);
    if (candidate.length === byteLength && !taken.has(candidate)) return candidate;
  }
  return null;
}

const int64Tensor = (name: string, values: bigint[]): onnxProto.onnx.ITensorProto => {
  const raw = new Uint8Array(values.length * 8);
  const view = new DataView(raw.buffer);
  values.forEach((v, i) => view.setBigInt64(i * 8, v, true));
  return { name, dims: [values.length], dataType: onnx.TensorProto.DataType.INT64, rawData: raw };
};

const constant = (output: string, values: bigint[]): onnxProto.onnx.INodeProto => ({
  opType: 'Constant',
  name: output,
  output: [output],
  attribute: [{ name: 'value', type: onnx.AttributeProto.AttributeType.TENSOR, t: int64Tensor(output, values) }],
});

export interface EditOptions {
  /**
   * Edit the caller's bytes where they lie when the memory after them has room for the appended
   * graph (a few hundred bytes): `bytes` is then a longer view of the same memory, and `model` is
   * changed (its LM head input renamed). For callers that can reopen the original elsewhere (Node
   * reads the file into a buffer with room to spare): a model of hundreds of megabytes is then not
   * copied a second time.
   */
  inPlace?: boolean;
}

/**
 * Gives the serialized decoder `model` a `num_logits_to_keep` input when it lacks one. Never
 * throws on a model it cannot edit: it says why instead, and the model is used as it is.
 */
export function addLogitsToKeep(model: Uint8Array, options: EditOptions = {}): LogitsToKeep {
  try {
    return edit(model, options);
  } catch (error) {
    // A damaged file: onnxruntime will say what is wrong with it when it opens the original.
    return { kind: 'unsupported', reason: `not a readable ONNX model (${error instanceof Error ? error.message : String(error)})` };
  }
}

function edit(model: Uint8Array, options: EditOptions): LogitsToKeep {
  const modelFields = fields(model, 0, model.length);
  const graphs = modelFields.filter((f) => f.field === MODEL.graph && f.wire === 2);
  if (graphs.length === 0) return { kind: 'unsupported', reason: 'the model has no graph' };
  const opset = defaultOpset(model, modelFields);
  if (opset === null || opset < 10) return { kind: 'unsupported', reason: `opset ${opset ?? 'unknown'} is older than Slice with inputs (10)` };

  const nodes: ScannedNode[] = [];
  const taken = new Set<string>();
  const inputs: string[] = [];
  const outputs: string[] = [];
  for (const graph of graphs) {
    for (const f of fields(model, graph.start, graph.end)) {
      const bytes = model.subarray(f.start, f.end);
      if (f.field === GRAPH.node) {
        const node = onnx.NodeProto.decode(bytes);
        nodes.push({ node, start: f.start, end: f.end });
        for (const name of [...node.input, ...node.output, node.name]) taken.add(name);
      } else if (f.field === GRAPH.input || f.field === GRAPH.output || f.field === GRAPH.valueInfo) {
        const name = onnx.ValueInfoProto.decode(bytes).name;
        taken.add(name);
        if (f.field === GRAPH.input) inputs.push(name);
        if (f.field === GRAPH.output) outputs.push(name);
      } else if (f.field === GRAPH.initializer) {
        // Only the tensor's name: its data is skipped, never copied.
        const nameField = fields(model, f.start, f.end).find((t) => t.field === TENSOR_NAME && t.wire === 2);
        if (nameField) taken.add(new TextDecoder().decode(model.subarray(nameField.start, nameField.end)));
      }
    }
  }
  if (inputs.includes(KEEP_INPUT)) return { kind: 'native' };
  if (!outputs.includes('logits')) return { kind: 'unsupported', reason: 'the graph has no "logits" output' };
  if (!inputs.includes('input_ids')) return { kind: 'unsupported', reason: 'the graph has no "input_ids" input' };
  if (!outputs.some((o) => o.startsWith('present')) && !inputs.some((i) => i.startsWith('past_key_values'))) {
    return { kind: 'unsupported', reason: 'the graph is not a decoder with a key/value cache' };
  }

  const producer = new Map<string, ScannedNode>();
  for (const n of nodes) for (const o of n.node.output) producer.set(o, n);
  let head = producer.get('logits');
  const passThrough = new Set(['Cast', 'Identity']);
  while (head && passThrough.has(head.node.opType)) head = producer.get(head.node.input[0] ?? '');
  if (!head) return { kind: 'unsupported', reason: 'no node makes the "logits" output' };
  const op = head.node.opType;
  if (!(op === 'MatMul' || (op === 'MatMulNBits' && head.node.domain === 'com.microsoft'))) {
    return { kind: 'unsupported', reason: `the logits come from ${op}, not from a MatMul LM head` };
  }
  const x = head.node.input[0];
  if (!x) return { kind: 'unsupported', reason: 'the LM head has no input' };
  const before = producer.get(x)?.node.opType;
  if (before === 'Reshape' || before === 'Flatten') return { kind: 'unsupported', reason: `the LM head's input is ${before}d, so its positions are not on axis 1` };

  // The LM head's first input field holds X: overwrite it with X' of the same length.
  const inputField = fields(model, head.start, head.end).find((f) => f.field === NODE_INPUT && f.wire === 2);
  if (!inputField) return { kind: 'unsupported', reason: 'the LM head has no input' };
  const xBytes = inputField.end - inputField.start;
  const renamed = freshName(x, xBytes, taken);
  if (!renamed) return { kind: 'unsupported', reason: `no free tensor name of ${xBytes} bytes` };
  taken.add(renamed);
  const fresh = (name: string) => {
    let candidate = `pluralscope_keep/${name}`;
    for (let i = 2; taken.has(candidate); i++) candidate = `pluralscope_keep/${name}_${i}`;
    taken.add(candidate);
    return candidate;
  };
  const shape1 = fresh('shape');
  const k1 = fresh('k');
  const starts = fresh('starts');
  const ends = fresh('ends');
  const axes = fresh('axes');
  const graph = onnx.GraphProto.encode({
    node: [
      constant(shape1, [1n]),
      constant(ends, [0x7fffffffffffffffn]),
      constant(axes, [1n]),
      { opType: 'Reshape', name: k1, input: [KEEP_INPUT, shape1], output: [k1] },
      { opType: 'Neg', name: starts, input: [k1], output: [starts] },
      { opType: 'Slice', name: fresh('slice'), input: [x, starts, ends, axes], output: [renamed] },
    ],
    input: [{ name: KEEP_INPUT, type: { tensorType: { elemType: onnx.TensorProto.DataType.INT64, shape: { dim: [] } } } }],
  }).finish();
  const header = protobuf.Writer.create().uint32((MODEL.graph << 3) | 2).uint32(graph.length).finish();

  const length = model.length + header.length + graph.length;
  const room = model.buffer.byteLength - model.byteOffset;
  const out = options.inPlace && room >= length ? new Uint8Array(model.buffer, model.byteOffset, length) : new Uint8Array(length);
  if (out.buffer !== model.buffer) out.set(model, 0);
  out.set(new TextEncoder().encode(renamed), inputField.start);
  out.set(header, model.length);
  out.set(graph, model.length + header.length);
  return { kind: 'added', bytes: out, lmHead: head.node.name || op };
}
