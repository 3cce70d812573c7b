import { Migration } from '@mikro-orm/migrations';

// Written by hand (no SQL Server here to diff against); matches ../../mssql/schema.sql.
export class Migration20261201172737_chat extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      'alter table [chatbots] add [offline_fallback] bit not null constraint [chatbots_offline_fallback_default] default 1;',
    );
    this.addSql('alter table [messages] add [error] nvarchar(max) null;');
  }
}
