import * as tf from '@tensorflow/tfjs';

/**
 * Selects the pure JavaScript CPU backend (tfjs-node is not installed) and
 * turns on PROD, which silences tfjs's console advice so stderr stays one
 * JSON object per line. Deterministic: one thread, a fixed kernel order.
 */
export async function prepareTensorflow(): Promise<void> {
  tf.env().set('PROD', true);
  await tf.setBackend('cpu');
  await tf.ready();
}
