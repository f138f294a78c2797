import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (the extension's folder). */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const E2E = path.join(ROOT, 'test', 'e2e');
export const FIXTURE_WORKSPACE = path.join(E2E, 'fixtures', 'workspace');
export const ARTIFACTS = path.join(E2E, 'artifacts');
