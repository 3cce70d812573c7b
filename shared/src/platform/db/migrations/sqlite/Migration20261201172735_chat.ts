import { Migration } from '@mikro-orm/migrations';

// Written by hand: MikroORM's SQLite diff proposes rebuilding every table (it cannot read foreign-key rules
// back); adding the two columns is all this change needs.
export class Migration20261201172735_chat extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table \`chatbots\` add column \`offline_fallback\` integer not null default true;`);
    this.addSql(`alter table \`messages\` add column \`error\` text null;`);
  }
}
