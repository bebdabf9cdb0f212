import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { isUUID } from 'class-validator';
import type { Actor } from '@app/audit/actor';
import { DomainError } from '@app/common/domain-error';
import { Person } from '@app/organisations/person.entity';

/** Until sign-in exists (issue 5), an API client may name the acting person in this header. */
export const ACTOR_HEADER = 'x-person-id';

export const ANONYMOUS_API_ACTOR: Actor = { personId: null, name: 'API-klient (ej inloggad)', role: 'api', organisationId: null, organisationName: null };

@Injectable()
export class ActorResolver {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async resolve(personId: string | undefined): Promise<Actor> {
    if (!personId) return ANONYMOUS_API_ACTOR;
    if (!isUUID(personId)) throw new DomainError('unauthenticated', `Rubriken ${ACTOR_HEADER} ska vara ett person-id (uuid).`);
    const person = await this.dataSource.getRepository(Person).findOne({ where: { id: personId }, relations: { organisation: true } });
    if (!person) throw new DomainError('unauthenticated', 'Personen i rubriken finns inte.');
    return {
      personId: person.id,
      name: person.name,
      role: person.organisation?.kind === 'municipality' ? 'secretariat' : 'member',
      organisationId: person.organisationId,
      organisationName: person.organisation?.name ?? null,
    };
  }
}
