import { Migration } from '@mikro-orm/migrations';

// Written by hand: MikroORM's SQLite diff proposes rebuilding every table (it cannot read foreign-key rules
// back); adding the two columns is all this change needs.
export class Migration20261201194616_answers extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table \`messages\` add column \`unanswered\` integer not null default false;`);
    this.addSql(`alter table \`usage_daily\` add column \`unanswered\` integer not null default 0;`);
  }
}
