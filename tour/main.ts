/**
 * `npm start`: a guided tour of the article "Dai Generatori ad Asyncio", from the first yield to
 * yieldio, running real files from examples/tour/. `npm start -- --all` prints every chapter.
 */
import { start } from './tour.ts';

process.exitCode = await start(process.argv.slice(2));
