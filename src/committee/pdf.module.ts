import { Module } from '@nestjs/common';
import { PdfRendererService } from './pdf-renderer.service';

/** The process's one headless Chromium for PDFs, shared by the committee's report and the agreement documents. */
@Module({ providers: [PdfRendererService], exports: [PdfRendererService] })
export class PdfModule {}
