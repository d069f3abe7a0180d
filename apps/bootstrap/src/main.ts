// Entry point of the bootstrap cdktf app (scripts/bootstrap.ts runs it): see app.ts.
import { runMain } from './app';

runMain();
