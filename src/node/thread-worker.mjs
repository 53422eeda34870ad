// The worker thread of toThread (src/node/threads.ts): imports the module it is asked for, calls
// the export, and posts back the result or a description of the error (errors cannot be cloned
// with their class). Plain JavaScript, so the source tree (under tsx) and dist/ load it as is;
// scripts/build.ts copies it next to every built file that refers to it.
import { parentPort } from 'node:worker_threads';

const TS_EXTENSION = /\.[cm]?tsx?$/;

function clonable(value) {
  try {
    structuredClone(value);
    return true;
  } catch {
    return false;
  }
}

// name, message, stack, code, own enumerable properties that clone, and the cause, recursively.
function describe(error, depth = 0) {
  if (!(error instanceof Error)) return { thrown: clonable(error) ? error : String(error) };
  const props = {};
  for (const key of Object.keys(error)) {
    if (key === 'cause' || key === 'name' || key === 'message' || key === 'stack') continue;
    if (clonable(error[key])) props[key] = error[key];
  }
  const info = { name: error.name, message: error.message, stack: error.stack, code: error.code, props };
  if ('cause' in error && depth < 8) info.cause = describe(error.cause, depth + 1);
  return info;
}

async function load(url) {
  try {
    return await import(url);
  } catch (error) {
    // Node 20's workers do not get the main thread's module hooks (--import tsx): say what works.
    if (error?.code === 'ERR_UNKNOWN_FILE_EXTENSION' && TS_EXTENSION.test(new URL(url).pathname)) {
      throw new TypeError(
        'toThread(): ' + url + ' cannot be loaded in a worker thread: ' + error.message + '. Worker threads do not get ' +
          "the main thread's module hooks (tsx): call it through a .mjs shim that loads it with tsImport from 'tsx/esm/api' " +
          "(`export const { fn } = await tsImport('./module.ts', import.meta.url);`).",
        { cause: error },
      );
    }
    throw error;
  }
}

parentPort.on('message', async ({ id, url, name, args }) => {
  let reply;
  try {
    const mod = await load(url);
    const fn = mod[name];
    if (typeof fn !== 'function') {
      throw new TypeError('toThread(): ' + url + ' has no exported function ' + JSON.stringify(name) + ' (got ' + typeof fn + ')');
    }
    reply = { id, ok: true, value: await fn(...args) };
  } catch (error) {
    reply = { id, ok: false, error: describe(error) };
  }
  try {
    parentPort.postMessage(reply);
  } catch (error) {
    parentPort.postMessage({
      id,
      ok: false,
      error: { name: 'TypeError', message: 'toThread(): the ' + (reply.ok ? 'result' : 'error') + ' of ' + name + '() cannot be structured-cloned: ' + error.message, stack: '' },
    });
  }
});
