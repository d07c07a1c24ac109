/**
 * A minimal ONNX graph builder over the `onnx-proto` protobuf definitions: nodes, typed
 * inputs and outputs, and initializers whose bytes are produced lazily, so a multi-gigabyte
 * model can be streamed to disk one tensor at a time (external data) instead of being held
 * in memory.
 */
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;
type INodeProto = onnxProto.onnx.INodeProto;
type IValueInfoProto = onnxProto.onnx.IValueInfoProto;
type IAttributeProto = onnxProto.onnx.IAttributeProto;

export type ElemType = 'float32' | 'uint8' | 'int64' | 'bool';

const ELEM: Record<ElemType, number> = {
  float32: onnx.TensorProto.DataType.FLOAT,
  uint8: onnx.TensorProto.DataType.UINT8,
  int64: onnx.TensorProto.DataType.INT64,
  bool: onnx.TensorProto.DataType.BOOL,
};

/** A float attribute; plain numbers are integer attributes. */
export interface FloatAttr {
  float: number;
}
export const float = (value: number): FloatAttr => ({ float: value });
export type AttrValue = number | number[] | string | FloatAttr;

export interface InitializerSpec {
  name: string;
  type: ElemType;
  dims: number[];
  /** Produces the tensor's little-endian bytes; called once per file written. */
  bytes: () => Uint8Array;
  /** Keep in the .onnx file even when weights go to external data (shape constants must). */
  inline?: boolean;
}

/** Tensors smaller than this stay inline, as onnx's own external-data writer does. */
const EXTERNAL_MIN_BYTES = 1024;

export type Dim = number | string;

export class GraphBuilder {
  readonly nodes: INodeProto[] = [];
  readonly initializers: InitializerSpec[] = [];
  readonly inputs: IValueInfoProto[] = [];
  readonly outputs: IValueInfoProto[] = [];
  private counter = 0;

  /** Adds a node; returns its output names (fresh unless given). */
  node(
    opType: string,
    inputs: string[],
    options: { attrs?: Record<string, AttrValue>; domain?: string; outputs?: number | string[]; name?: string } = {},
  ): string[] {
    const id = this.counter++;
    const outputs =
      Array.isArray(options.outputs)
        ? options.outputs
        : Array.from({ length: options.outputs ?? 1 }, (_, i) => `${opType}_${id}_out${i}`);
    this.nodes.push({
      name: options.name ?? `${opType}_${id}`,
      opType,
      domain: options.domain ?? '',
      input: inputs,
      output: outputs,
      attribute: Object.entries(options.attrs ?? {}).map(([name, value]) => attribute(name, value)),
    });
    return outputs;
  }

  /** Adds a single-output node and returns its output name. */
  op(opType: string, inputs: string[], attrs?: Record<string, AttrValue>, domain?: string, outputName?: string): string {
    const out = this.node(opType, inputs, { attrs, domain, outputs: outputName ? [outputName] : 1 });
    return out[0]!;
  }

  initializer(spec: InitializerSpec): string {
    this.initializers.push(spec);
    return spec.name;
  }

  /** A small constant initializer (int64 or float32). */
  constant(values: number[], type: 'int64' | 'float32', dims: number[] = [values.length]): string {
    const name = `const_${this.counter++}`;
    return this.initializer({
      name,
      type,
      dims,
      inline: true,
      bytes: () =>
        type === 'int64'
          ? new Uint8Array(BigInt64Array.from(values.map((v) => BigInt(v))).buffer)
          : new Uint8Array(Float32Array.from(values).buffer),
    });
  }

  input(name: string, type: ElemType, dims: Dim[]): string {
    this.inputs.push(valueInfo(name, type, dims));
    return name;
  }

  output(name: string, type: ElemType, dims: Dim[]): void {
    this.outputs.push(valueInfo(name, type, dims));
  }
}

function attribute(name: string, value: AttrValue): IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if (typeof value === 'string') return { name, type: T.STRING, s: new TextEncoder().encode(value) };
  if (Array.isArray(value)) return { name, type: T.INTS, ints: value };
  if (typeof value === 'object') return { name, type: T.FLOAT, f: value.float };
  if (!Number.isInteger(value)) throw new TypeError(`attribute ${name}: ${value} is not an integer; wrap floats with float()`);
  return { name, type: T.INT, i: value };
}

function valueInfo(name: string, type: ElemType, dims: Dim[]): IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: ELEM[type],
        shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

export interface ExternalDataSink {
  /** File name stored in the model as the data location. */
  fileName: string;
  /** Appends bytes and returns the offset at which they start. */
  append(bytes: Uint8Array): number;
}

/**
 * Encodes the model. Initializers are inlined, or, when a sink is given, written to it one
 * by one (64-byte aligned) and referenced as external data.
 */
export function encodeModel(
  graph: GraphBuilder,
  options: { graphName: string; opsets: Record<string, number>; producer: string; external?: ExternalDataSink },
): Uint8Array {
  const initializer = graph.initializers.map((spec) => {
    const bytes = spec.bytes();
    const base = { name: spec.name, dims: spec.dims, dataType: ELEM[spec.type] };
    if (!options.external || spec.inline || bytes.byteLength < EXTERNAL_MIN_BYTES) return { ...base, rawData: bytes };
    const offset = options.external.append(bytes);
    return {
      ...base,
      dataLocation: onnx.TensorProto.DataLocation.EXTERNAL,
      externalData: [
        { key: 'location', value: options.external.fileName },
        { key: 'offset', value: String(offset) },
        { key: 'length', value: String(bytes.byteLength) },
      ],
    };
  });
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: options.producer,
    producerVersion: '1',
    opsetImport: Object.entries(options.opsets).map(([domain, version]) => ({ domain, version })),
    graph: {
      name: options.graphName,
      node: graph.nodes,
      input: graph.inputs,
      output: graph.outputs,
      initializer,
    },
  });
  return onnx.ModelProto.encode(model).finish();
}
