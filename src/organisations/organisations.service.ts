import { keysetPage, type Page, type PageRequest } from '@app/common/paging';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError } from '@app/common/domain-error';
import type { CreateOrganisationDto, CreatePersonDto } from './dto/organisation.dto';
import { Organisation } from './organisation.entity';
import { Person } from './person.entity';

@Injectable()
export class OrganisationsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async create(dto: CreateOrganisationDto): Promise<Organisation> {
    const repo = this.dataSource.getRepository(Organisation);
    if (await repo.findOneBy({ organisationNumber: dto.organisationNumber })) {
      throw new DomainError('conflict', `Det finns redan en organisation med organisationsnummer ${dto.organisationNumber}.`);
    }
    return repo.save(repo.create(dto));
  }

  /** By name; the id breaks ties so a page boundary is never ambiguous. */
  list(page: PageRequest): Promise<Page<Organisation>> {
    const qb = this.dataSource.getRepository(Organisation).createQueryBuilder('o');
    return keysetPage(qb, [{ sql: 'o.name', value: (o) => o.name }, { sql: 'o.id', value: (o) => o.id }], page);
  }

  async get(id: string): Promise<Organisation> {
    const organisation = await this.dataSource.getRepository(Organisation).findOneBy({ id });
    if (!organisation) throw DomainError.notFound('Organisationen');
    return organisation;
  }

  async createPerson(dto: CreatePersonDto): Promise<Person> {
    if (!(await this.dataSource.getRepository(Organisation).existsBy({ id: dto.organisationId }))) {
      throw DomainError.validation([{ field: 'organisationId', message: 'Organisationen finns inte.' }]);
    }
    const repo = this.dataSource.getRepository(Person);
    if (await repo.findOneBy({ email: dto.email })) {
      throw new DomainError('conflict', `Det finns redan en person med e-postadressen ${dto.email}.`);
    }
    return repo.save(repo.create({ ...dto, title: dto.title ?? null }));
  }

  listPeople(page: PageRequest, organisationId?: string): Promise<Page<Person>> {
    const qb = this.dataSource.getRepository(Person).createQueryBuilder('p');
    if (organisationId) qb.where('p.organisation_id = :organisationId', { organisationId });
    return keysetPage(qb, [{ sql: 'p.name', value: (p) => p.name }, { sql: 'p.id', value: (p) => p.id }], page);
  }
}
