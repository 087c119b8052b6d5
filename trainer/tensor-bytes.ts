import * as tf from '@tensorflow/tfjs';
import type {TensorLayout} from './checkpoint-manifest.js';
import type {NamedTensor} from './classifier-model.js';

/**
 * Packs named tensors into one byte buffer (values back to back, in the
 * platform's byte order, which is little-endian on every machine Node
 * supports) with the layout needed to unpack them.
 *
 * @throws Error for a dtype other than float32 or int32
 */
export function encodeTensors(tensors: readonly NamedTensor[]): {
  bytes: Uint8Array;
  layouts: TensorLayout[];
} {
  const parts: Uint8Array[] = [];
  const layouts: TensorLayout[] = [];
  let byteOffset = 0;
  for (const {name, tensor} of tensors) {
    if (tensor.dtype !== 'float32' && tensor.dtype !== 'int32') {
      throw new Error(
        `tensor ${name}: dtype ${tensor.dtype} cannot be checkpointed; ` +
          'allowed are float32 and int32',
      );
    }
    const values = tensor.dataSync() as Float32Array | Int32Array;
    const part = new Uint8Array(values.byteLength);
    part.set(
      new Uint8Array(values.buffer, values.byteOffset, values.byteLength),
    );
    parts.push(part);
    layouts.push({
      name,
      dtype: tensor.dtype,
      shape: [...tensor.shape],
      byteOffset,
      byteLength: part.byteLength,
    });
    byteOffset += part.byteLength;
  }
  return {bytes: concatenate(parts, byteOffset), layouts};
}

/**
 * Unpacks tensors written by `encodeTensors`; the caller disposes them.
 *
 * @throws Error when a layout points outside the bytes or its size does
 *   not fit its shape
 */
export function decodeTensors(
  bytes: Uint8Array,
  layouts: readonly TensorLayout[],
): NamedTensor[] {
  return layouts.map((layout) => {
    const {name, dtype, shape, byteOffset, byteLength} = layout;
    const elementCount = shape.reduce((product, size) => product * size, 1);
    if (byteLength !== elementCount * 4 ||
        byteOffset + byteLength > bytes.byteLength) {
      throw new Error(
        `tensor ${name}: ${byteLength} bytes at ${byteOffset} do not fit ` +
          `shape [${shape}] in a ${bytes.byteLength}-byte file`,
      );
    }
    // A copy, aligned: a Buffer's slice would share the file's memory.
    const copy = new Uint8Array(byteLength);
    copy.set(bytes.subarray(byteOffset, byteOffset + byteLength));
    const values = dtype === 'int32'
      ? new Int32Array(copy.buffer)
      : new Float32Array(copy.buffer);
    return {name, tensor: tf.tensor(values, shape, dtype)};
  });
}

function concatenate(parts: Uint8Array[], byteLength: number): Uint8Array {
  const whole = new Uint8Array(byteLength);
  let offset = 0;
  for (const part of parts) {
    whole.set(part, offset);
    offset += part.byteLength;
  }
  return whole;
}
