import type { HoverProvider } from '../engine/hover';
import { securityContextHover } from './security-context';
import { networkHover } from './network';
import { rbacHover } from './rbac';

/** Hover providers, asked in order; every answer is shown. Rule documentation for findings is added by the server. */
export const HOVER_PROVIDERS: HoverProvider[] = [
  securityContextHover,
  networkHover,
  rbacHover,
];
