import type { ProjectionName } from '../../workspace/projections';

/** What the service-mesh rules use: Linkerd's policies and configuration, and YAML embedded in a block scalar. */
export { LINKERD_UNAUTHENTICATED, meshDefaultInboundPolicy, shippedByLinkerdExtension, unauthenticatedComponent, unauthenticatedNetworks, type MeshDefaultPolicy, type UnauthenticatedComponent } from './linkerd';

/** What the mesh analysis reads of other resources: rules built on it declare these. */
export const MESH_READS = ['identity', 'linkerdAuthentications'] as const satisfies readonly ProjectionName[];
