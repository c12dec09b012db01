/** One numbered schema migration: `sql` runs once, in a transaction, on a database older than `version`. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}
