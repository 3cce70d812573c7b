import { Migration } from '@mikro-orm/migrations';

// Written by hand (no SQL Server here to diff against); matches ../../mssql/schema.sql.
export class Migration20261201194617_answers extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      'alter table [messages] add [unanswered] bit not null constraint [messages_unanswered_default] default 0;',
    );
    this.addSql(
      'alter table [usage_daily] add [unanswered] int not null constraint [usage_daily_unanswered_default] default 0;',
    );
  }
}
