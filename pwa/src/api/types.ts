// Types taken from the generated OpenAPI schema by path, so they follow the server's
// contract whatever the schema components are called.
import type { paths } from './schema';

type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;

export type TokenResponse = Json<paths['/api/v1/auth/login']['post']['responses'][200]>;
export type User = Json<paths['/api/v1/me']['get']['responses'][200]>;
export type Role = User['role'];
export type RegionList = Json<paths['/api/v1/regions']['get']['responses'][200]>;
export type Region = RegionList['items'][number];
export type UpdateMe = NonNullable<
  paths['/api/v1/me']['patch']['requestBody']
>['content']['application/json'];
