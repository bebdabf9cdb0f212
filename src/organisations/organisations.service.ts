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

  list(): Promise<Organisation[]> {
    return this.dataSource.getRepository(Organisation).find({ order: { name: 'ASC' } });
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

  listPeople(organisationId?: string): Promise<Person[]> {
    return this.dataSource.getRepository(Person).find({ where: organisationId ? { organisationId } : {}, order: { name: 'ASC' } });
  }
}
