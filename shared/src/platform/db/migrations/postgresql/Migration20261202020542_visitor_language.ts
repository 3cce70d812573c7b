import { Migration } from '@mikro-orm/migrations';

export class Migration20261202020542_visitor_language extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "conversations" add column "visitor_language" varchar(35) null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "conversations" drop column "visitor_language";`);
  }

}
