import { provideZonelessChangeDetection } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import type { ActivatedRouteSnapshot, RouterStateSnapshot } from '@angular/router';
import { Confirmer } from '../../core/ui/confirmer';
import { type HasUnsavedChanges, unsavedChangesGuard } from './unsaved-changes.guard';

describe('unsavedChangesGuard', () => {
  beforeEach(() => TestBed.configureTestingModule({ providers: [provideZonelessChangeDetection()] }));
  const leave = (page: HasUnsavedChanges) =>
    TestBed.runInInjectionContext(() =>
      unsavedChangesGuard(
        page,
        {} as ActivatedRouteSnapshot,
        {} as RouterStateSnapshot,
        {} as RouterStateSnapshot,
      ),
    );

  it('lets the user leave a page with nothing unsaved without asking', () => {
    expect(leave({ hasUnsavedChanges: () => false })).toBe(true);
    expect(TestBed.inject(Confirmer).pending()).toBeNull();
  });

  it('asks first, and stays when the user says so', async () => {
    const confirmer = TestBed.inject(Confirmer);
    const stay = leave({ hasUnsavedChanges: () => true }) as Promise<boolean>;
    expect(confirmer.pending()!.title).toBe('Leave without saving?');
    confirmer.pending()!.answer(false);
    expect(await stay).toBe(false);

    const go = leave({ hasUnsavedChanges: () => true }) as Promise<boolean>;
    confirmer.pending()!.answer(true);
    expect(await go).toBe(true);
  });
});
