// The narrow database interface services depend on. pg.Pool, pg.PoolClient and pg.Client all satisfy it,
// so a service can run inside or outside a transaction and tests can hand it any real connection.
import type { QueryResult, QueryResultRow } from 'pg'

export interface Queryable {
  query<R extends QueryResultRow = QueryResultRow>(text: string, values?: unknown[]): Promise<QueryResult<R>>
}
