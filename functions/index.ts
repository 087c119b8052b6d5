/**
 * The deployable's main module: registers all eight entry points with
 * functions-framework. Each deployed function runs this module and
 * serves its own entry point (`--target`); every handler loads on its
 * function's first event, so the other seven cost only their
 * registration.
 */
import './ingest-job/index.js';
import './fetch-forecasts/index.js';
import './optimize-slot/index.js';
import './launch-training/index.js';
import './monitor-intensity/index.js';
import './checkpoint-pause/index.js';
import './resume/index.js';
import './record-footprint/index.js';
