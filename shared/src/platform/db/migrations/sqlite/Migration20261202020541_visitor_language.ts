import { Migration } from '@mikro-orm/migrations';

// Written from MikroORM's diff, without the rebuilds of unchanged tables its SQLite differ asks for
// (it cannot read foreign-key rules back): adding the column is all this change needs.
export class Migration20261202020541_visitor_language extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table \`conversations\` add column \`visitor_language\` text null;`);
  }
}
