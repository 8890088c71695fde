import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Inject,
  Param,
  Put,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Ctx, type RequestContext } from '../auth/current-principal';
import type { ProjectCreateBody, ProjectDto, ProjectUpdateBody } from './project.dto';
import { ProjectsService, type ProjectList, type ProjectUsageDto } from './projects.service';

@Controller('api/v1/projects')
export class ProjectsController {
  constructor(@Inject(ProjectsService) private readonly projects: ProjectsService) {}

  @Get()
  list(@Ctx() ctx: RequestContext, @Query() query: Record<string, unknown>): Promise<ProjectList> {
    return this.projects.list(ctx, query);
  }

  @Post()
  @HttpCode(201)
  async create(
    @Ctx() ctx: RequestContext,
    @Body() body: ProjectCreateBody,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ProjectDto> {
    const { project, replayed } = await this.projects.create(ctx, body, idempotencyKey);
    if (replayed) void reply.status(200);
    return project;
  }

  @Get(':project_id')
  get(@Ctx() ctx: RequestContext, @Param('project_id') id: string): Promise<ProjectDto> {
    return this.projects.get(ctx, id);
  }

  @Put(':project_id')
  update(
    @Ctx() ctx: RequestContext,
    @Param('project_id') id: string,
    @Body() body: ProjectUpdateBody,
  ): Promise<ProjectDto> {
    return this.projects.update(ctx, id, body);
  }

  @Get(':project_id/usage')
  usage(@Ctx() ctx: RequestContext, @Param('project_id') id: string): Promise<ProjectUsageDto> {
    return this.projects.usage(ctx, id);
  }
}
