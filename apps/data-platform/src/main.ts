// Entry point of the cdktf app (cdktf.json "app", scripts/lib/synth.ts): see app.ts.
import { runMain } from './app';

runMain();
