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

type Path<P extends keyof paths, M extends keyof paths[P]> = paths[P][M];
type Ok<Op> = Op extends { responses: infer R }
  ? R extends { 200: infer A }
    ? Json<A>
    : R extends { 201: infer B }
      ? Json<B>
      : never
  : never;
type Body<Op> = Op extends { requestBody?: infer B } ? Json<NonNullable<B>> : never;

export type NearbyList = Ok<Path<'/api/v1/stations/nearby', 'get'>>;
export type StationCard = NearbyList['items'][number];
export type NearbyParams = NonNullable<Path<'/api/v1/stations/nearby', 'get'>['parameters']['query']>;
export type StationDetail = Ok<Path<'/api/v1/stations/{id}', 'get'>>;
export type StationPatch = Body<Path<'/api/v1/stations/{id}', 'patch'>>;
export type CheckinCode = Ok<Path<'/api/v1/stations/{id}/checkin-code', 'get'>>;
export type CheckIn = Ok<Path<'/api/v1/stations/{id}/check-ins', 'post'>>;
export type PublicConfig = Ok<Path<'/api/v1/config', 'get'>>;
