/**
 * Child process of the budget concurrency test: reserves `count` jobs of
 * `kilograms` each, all at once, in one project-month of a shared blob
 * directory, and prints how many were granted.
 */
import {DirectoryBlobStore} from
  '../../../adapters/local/directory-blob-store.js';
import {reserveBudget} from '../../../shared/budgets/budget-reservations.js';

const [directory, budgetKg, prefix, count, kilograms] = process.argv.slice(2);
const blobs = new DirectoryBlobStore(directory as string);
const outcomes = await Promise.all(Array.from({length: Number(count)},
  (_, index) => reserveBudget(blobs, {
    budget: {projectId: 'ml-prod', carbonBudgetKg: Number(budgetKg),
      overBudget: 'reject'},
    month: '2025-03',
    jobId: `${prefix}-${index}`,
    kilograms: Number(kilograms),
    nowMs: 0,
  })));
process.stdout.write(JSON.stringify(outcomes.filter(
  (outcome) => outcome.status === 'reserved').length));
